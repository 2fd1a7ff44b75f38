import { AGENT_IP, CI_IP, DOMAIN, LAGOS_IP, MIN } from './demo-world'
import type { Recorder } from './event-recorder'
import { BROWSER_LINUX, cloudTrail, driveEvent, gwsActivity } from './vendor-records'

/** A CI deploy key doing its routine calls; on the incident day someone signs in with it and grants it admin. */
export const serviceDay = (r: Recorder, day: number, incident: boolean) => {
  const key = 'AKIA4ACMESVCDEPLOY01'
  const ua = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 command/ecs.update-service'
  const calls: Array<[string, string]> = [
    ['sts.amazonaws.com', 'GetCallerIdentity'],
    ['ecr.amazonaws.com', 'GetAuthorizationToken'],
    ['s3.amazonaws.com', 'PutObject'],
    ['ecs.amazonaws.com', 'UpdateService']
  ]
  for (let t = day + 7 * 3_600_000; t < day + 18 * 3_600_000; t += 45 * MIN)
    calls.forEach(([src, name], i) =>
      r.aws.push(cloudTrail({ id: r.uuid(), t: t + i * 20_000, eventSource: src, eventName: name, userName: 'svc-deploy', accessKeyId: key, ip: CI_IP, ua }))
    )
  if (!incident) return
  const t = day + 15 * 3_600_000 + 10 * MIN
  const console = 'ASIA4ACMECONSOLE0001'
  r.aws.push(
    cloudTrail({
      id: r.uuid(),
      t,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      userName: 'svc-deploy',
      accessKeyId: '',
      ip: LAGOS_IP,
      ua: BROWSER_LINUX,
      eventType: 'AwsConsoleSignIn',
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' }
    })
  )
  r.aws.push(
    cloudTrail({
      id: r.uuid(),
      t: t + 3 * MIN,
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachUserPolicy',
      userName: 'svc-deploy',
      accessKeyId: console,
      ip: LAGOS_IP,
      ua: BROWSER_LINUX,
      requestParameters: { userName: 'svc-deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }
    })
  )
  r.aws.push(
    cloudTrail({
      id: r.uuid(),
      t: t + 5 * MIN,
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachRolePolicy',
      userName: 'svc-deploy',
      accessKeyId: console,
      ip: LAGOS_IP,
      ua: BROWSER_LINUX,
      requestParameters: { roleName: 'deploy-runner', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }
    })
  )
}

/** An AI agent reading Drive files on the user's behalf: steady the day before, a bulk sweep on the incident day. */
export const agentDay = (r: Recorder, day: number, incident: boolean) => {
  const email = `copilot-files-agent@${DOMAIN}`
  const app = { applicationName: 'Copilot Files Agent', oAuthClientId: '104857600123456789012', impersonation: false }
  const read = (t: number) =>
    r.gws.push(
      gwsActivity({
        t,
        uniq: `-${r.int(1e9, 9e9)}`,
        app: 'drive',
        email,
        profileId: '109876543210987654321',
        ip: AGENT_IP,
        applicationInfo: app,
        events: [driveEvent('view', { id: `1${r.hex(20)}`, title: `Contract ${r.int(1, 900)}` }, `legal@${DOMAIN}`)]
      })
    )
  for (let t = day + 9 * 3_600_000; t < day + 17 * 3_600_000; t += 15 * MIN) read(t)
  if (incident) for (let i = 0; i < 400; i++) read(day + 10 * 3_600_000 + 5 * MIN + i * 2_000)
}
