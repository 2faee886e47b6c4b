#if canImport(Glibc)
@preconcurrency import Glibc
#endif

// The messages of commands, files and the command line in Chinese (exhaustive switches, no
// `default:`).

extension SnapshotDamage {
    var chinese: String {
        switch self {
        case .notUTF8: return "它不是 UTF-8 文本"
        case .notASnapshot: return "第一行不是 seg 快照的文件头"
        case .truncatedBeforeHeader: return "在表头行之前就结束了（文件被截断）"
        case .headerWithoutID: return "表头行不以 'id' 开头"
        case .truncatedBeforeEnd: return "缺少结束行（文件被截断）"
        case .unexpectedComment: return "意外的注释行"
        case .memberCount(let holds, let says): return "实际有 \(holds) 个成员，却记录为 \(says) 个"
        case .textAfterEnd: return "结束行之后还有文本"
        case .truncatedInRow: return "在某一行中间结束了（文件被截断）"
        case .rowWidth(let fields, let header): return "某一行有 \(fields) 个字段，表头有 \(header) 个"
        case .unclosedQuote: return "带引号的字段没有闭合"
        case .quoteInUnquotedField: return "未加引号的字段中出现引号"
        case .textAfterQuote: return "结束引号之后还有文本"
        }
    }
}

extension CommandMessage {
    var chinese: String {
        switch self {
        case .libraryHoldsOnlyLets: return "细分库只能包含 'let NAME = QUERY' 语句和注释"
        case .definedTwice(let name, let line): return "细分 '\(name)' 定义了两次（第一次在第 \(line) 行）"
        case .libraryDefinedByItself(let name): return "细分 '\(name)' 不能用它自己来定义"
        case .libraryCycle(let names): return "细分之间循环引用：\(names.joined(separator: " → "))"
        case .libraryNotUTF8(let path): return "'\(path)' 不是 UTF-8 文本"
        case .noLibraryToSave(let name): return "没有打开细分库，无法保存 '\(name)'（请给出 --segments FILE）"
        case .usesUnsaved(let name, let uses): return "'\(name)' 用到了未保存的细分 '\(uses)'；请先保存 '\(uses)'"
        case .dropUsed(let name, let user): return "不能删除 '\(name)'：细分 '\(user)' 用到了它；请先删除或重新定义 '\(user)'"
        case .usesUnsavedField(let name, let field): return "'\(name)' 用到了尚未保存的派生字段 '\(field)'；请先保存 '\(field)'"
        case .dropUsedField(let name, let user): return "不能删除字段 '\(name)'：'\(user)' 用到了它；请先删除或重新定义 '\(user)'"
        case .snapshotNeedsLabels(let name):
            return "'\(name)' 是派生字段但不是分类；快照只针对细分或分类的标签（let field \(name) = A when …, else B）"
        case .damagedSnapshot(let damage, let segment): return "快照已损坏：\(damage.chinese)；请用 'snapshot \(segment)' 重新拍一个"
        case .noLibraryForSnapshots(let command): return "'\(command)' 把快照存放在细分库旁边，但没有打开细分库（请给出 --segments FILE）"
        case .noSnapshotYet(let name): return "'\(name)' 还没有快照；请先运行 'snapshot \(name)'"
        case .noSnapshotBefore(let name, let date, let first): return "'\(name)' 在 \(date) 及之前没有快照（最早的是 \(first)）"
        case .snapshotOfUnsaved(let name, let changed):
            return changed
                ? "'\(name)' 与细分库中的定义不同；请先 'save \(name)'，以后的 diff 才能按同一定义比较"
                : "'\(name)' 没有保存在细分库中，以后的 diff 会找不到它；请先 'save \(name)'"
        case .definitionChanged(let was, let now):
            return "自快照以来细分的定义已改变：原为 \(was)，现为 \(now)；部分客户的进出可能是定义改变造成的"
        }
    }
}

extension FileAction {
    var chinese: String {
        switch self {
        case .open: return "打开"
        case .read: return "读取"
        case .create: return "创建"
        case .write: return "写入"
        case .replace: return "替换"
        case .openLockFile: return "打开锁文件"
        case .lock: return "锁定"
        case .createFolder: return "创建文件夹"
        case .readAndWrite: return "读写"
        case .readLink: return "读取链接"
        case .follow: return "跟随链接"
        case .load: return "加载"
        }
    }
}

extension FileKind {
    var chinese: String {
        switch self {
        case .folder: return "文件夹"
        case .characterDevice: return "字符设备"
        case .blockDevice: return "块设备"
        case .fifo: return "FIFO（命名管道）"
        case .socket: return "套接字"
        case .symbolicLink: return "符号链接"
        case .other: return "非普通文件"
        }
    }
}

extension ProtectedFile {
    var chinese: String {
        switch self {
        case .data(let table): return "作为表 '\(table)' 加载的数据文件"
        case .segmentLibrary: return "细分库"
        case .snapshot: return "快照文件"
        case .script: return "正在运行的脚本"
        }
    }
}

extension FileMessage {
    /// The system's words (`reason(_:)`, strerror in English) for the errors a client manager
    /// meets, in Chinese; any other reason keeps the system's words.
    static func chineseReason(_ reason: String) -> String {
        let words: [(Int32, String)] = [
            (ENOENT, "没有这个文件或文件夹"), (EACCES, "没有权限"), (EPERM, "不允许此操作"),
            (EISDIR, "它是文件夹"), (ENOTDIR, "路径中有一部分不是文件夹"), (ENOSPC, "磁盘空间不足"),
            (EDQUOT, "超出磁盘配额"), (EROFS, "文件系统只读"), (EEXIST, "文件已存在"), (EIO, "输入/输出错误"),
            (EPIPE, "管道已断开"), (EMFILE, "打开的文件太多"), (ENAMETOOLONG, "文件名太长"), (ELOOP, "符号链接层数太多"),
            (EFBIG, "文件太大"), (EBUSY, "设备或资源忙"), (ETXTBSY, "文件正被执行"),
        ]
        return words.first { reason == FileMessage.reason($0.0) }?.1 ?? reason
    }

    var chinese: String {
        switch self {
        case .protected(let path, let what): return "拒绝写入 '\(path)'：它是\(what.chinese)；没有写入任何内容，文件保持不变"
        case .exists(let path, let advice):
            switch advice {
            case .script: return "'\(path)' 已存在；要替换它请写 .output! \(path)（或用 --force 运行 seg）"
            case .commandLine: return "'\(path)' 已存在；要替换它请加上 --force"
            case .declined: return "已保留 '\(path)'；结果输出到屏幕"
            }
        case .replaceQuestion(let path): return "'\(path)' 已存在，是否替换？[y/N] "
        case .notRegular(let action, let path, let kind): return "无法\(action.chinese) '\(path)'：它是\(kind.chinese)，不是普通文件"
        case .failed(let action, let path, let reason):
            return "无法\(action.chinese) '\(path)'" + (reason.map { "：\(FileMessage.chineseReason($0))" } ?? "")
        case .isDirectory(let action, let path): return "无法\(action.chinese) '\(path)'：它是文件夹"
        case .outputFailed(let reason): return "无法写入输出：\(FileMessage.chineseReason(reason))"
        case .outputClosed: return "输出已关闭"
        case .exportFailed(let path, let failure, let unchanged):
            var text = failure.text(in: .chinese)
            if case .file(.outputFailed(let reason)) = failure { text = "无法写入 '\(path)'：\(FileMessage.chineseReason(reason))" }
            guard let unchanged else { return text }
            return text + "；'\(path)' " + (unchanged ? "保持不变" : "没有创建")
        }
    }
}
