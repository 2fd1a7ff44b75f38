import type { CaseDb } from '../store/case-db'

/**
 * Recomputes identities, sessions, chains and findings of a case after its events changed.
 * Called after every import (CLI, UI) and after identity-map edits.
 */
export const analyzeCase = async (_db: CaseDb): Promise<void> => {}
