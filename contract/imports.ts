// Import calls and progress: declared by the import domain (core/import).
export const importCalls = {}
