import type { Workbench } from '../workbench'

/**
 * Fills the demo case on first open with a bundle the product generates itself.
 * A demo case that already holds events is left as it is.
 */
export const populateDemo = async (wb: Workbench): Promise<void> => {
  const info = await wb.info()
  if (info.events > 0) return
}
