// TEMPORARY stubs until the writers/readers branches merge.
