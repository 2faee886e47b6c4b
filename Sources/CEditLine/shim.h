// Fixed-argument wrappers for libedit's variadic el_set / el_get / history, which Swift cannot call.
#ifndef SEG_CEDITLINE_SHIM_H
#define SEG_CEDITLINE_SHIM_H

#include <stdio.h>
#include <histedit.h>
#include <sys/ioctl.h>
#include <unistd.h>

typedef char *(*seg_prompt_fn)(EditLine *);
typedef unsigned char (*seg_command_fn)(EditLine *, int);

static inline int seg_el_set_prompt(EditLine *el, seg_prompt_fn fn) { return el_set(el, EL_PROMPT, fn); }
static inline int seg_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int seg_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int seg_el_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int seg_el_set_addfn(EditLine *el, const char *name, const char *help, seg_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int seg_el_set_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}
static inline int seg_el_set_getcfn(EditLine *el, el_rfunc_t fn) { return el_set(el, EL_GETCFN, fn); }
static inline int seg_el_set_prep_term(EditLine *el, int raw) { return el_set(el, EL_PREP_TERM, raw); }
static inline int seg_el_refresh(EditLine *el) { return el_set(el, EL_REFRESH); }
static inline int seg_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *seg_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

static inline int seg_history_setsize(History *h, int size) { HistEvent ev; return history(h, &ev, H_SETSIZE, size); }
static inline int seg_history_setunique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int seg_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int seg_history_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
static inline int seg_history_save_fp(History *h, FILE *fp) { HistEvent ev; return history(h, &ev, H_SAVE_FP, fp); }
static inline int seg_history_clear(History *h) { HistEvent ev; return history(h, &ev, H_CLEAR); }

// The terminal's width in cells, or 0 when fd is not a terminal.
static inline int seg_terminal_columns(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_col;
}

#endif
