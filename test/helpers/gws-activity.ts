/** A Google Workspace Reports activity (Admin SDK shape) whose record says its own address, AS and region. */
export interface Net {
  ip: string
  asn: number
  region: string
}

let n = 0
/** One activity of `app` (login, admin, token, drive…) by `email`: one event `type`/`name` with its `parameters`. */
export const gwsActivity = (email: string, time: string, app: string, type: string, name: string, net: Net, parameters: unknown[]) => ({
  kind: 'admin#reports#activity',
  id: { time, uniqueQualifier: `-41290${String(++n).padStart(13, '0')}`, applicationName: app, customerId: 'C03az79cb' },
  etag: '"JDMC8884sebSctZ17CIssbQ/Xs1J8s8nYpc2MT8YtYeJ7Gdlbrw"',
  actor: { callerType: 'USER', email, profileId: `10459385935021233${String(n).padStart(4, '0')}` },
  ipAddress: net.ip,
  networkInfo: { ipAsn: [net.asn], regionCode: net.region, subdivisionCode: `${net.region}-XX` },
  events: [{ type, name, parameters }]
})
