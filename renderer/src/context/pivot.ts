/** Before or after the chain's pivot (the first event after its context changed); null when the chain has none. */
export type PivotSide = 'before' | 'after' | null

export const pivotSide = (pivotTime: string | null, time: string | null): PivotSide => {
  if (!pivotTime || !time) return null
  return Date.parse(time) >= Date.parse(pivotTime) ? 'after' : 'before'
}

/** The CSS class of a node, event row or lane marker on one side of the pivot. */
export const pivotClass = (side: PivotSide): string => (side ? ` pivot-${side}` : '')
