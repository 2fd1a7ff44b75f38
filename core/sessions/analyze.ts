import { log } from '../log'
import { finishFindings, prepareDetectors, runDetectors, type Timer } from '../detect/run-detectors'
import { loadPolicies, type Policies } from '../policies/policies'
import { loadCaseRules, type RuleSet } from '../detect/sigma/load'
import { runSigma } from '../detect/sigma/run'
import { scoreParams } from '../detect/score'
import { enrichIps, type PendingIp } from '../enrich/ip-geo'
import { vpnAsnSet, rentedAsns } from '../enrich/vpn-asns'
import { APP_NAME_PATTERNS, classificationRows } from '../identity/classification'
import type { CaseDb, Sql } from '../store/case-db'
import { analysisCoverage } from './coverage'

export interface AnalyzeOptions {
  /** Idle gap that ends a session without a native key (default 30 min, or the case's `sessionGapMinutes`). */
  gapMinutes?: number
  /** How long after an IdP sign-in an app's first event still counts as opened by it (default 10 min). */
  ssoWindowMinutes?: number
  /** The Sigma rules to run instead of the case's (catalog, case folder, settings): benchmarks and tests. */
  rules?: RuleSet
  /**
   * Report routine rules (`afterlogin.routine`) from networks the identity used before as well, and rules that want
   * corroboration (`afterlogin.corroborated`) alone: for cases that mix unrelated examples under shared names and
   * addresses (the catalog's rule tests). Default false.
   */
  reportEverywhere?: boolean
}

export interface AnalysisReport {
  ms: number
  /** CPU time of the whole process (DuckDB's worker threads included) while analysing. */
  cpuMs: number
  events: number
  sessions: number
  chains: number
  findings: number
  steps: Record<string, number>
  cpuSteps: Record<string, number>
}

const BATCH = 20_000

/**
 * DuckDB's memory cap while analysing (it is per instance; DuckDB's default limit comes back afterwards).
 * Without it a million-event analysis peaked at 3 GB of RSS; with it the big aggregations spill to disk instead.
 * The rules' parse, the joins and Node's own memory come on top of the cap: at 2M events an analysis alone peaked at
 * 914 MB of RSS under 600 MB and 842 MB under 400 MB (median of 3, 4% slower); at 1M the two take the same time.
 */
const ANALYSIS_MEMORY = '400MB'

/**
 * Recomputes identities, sessions, links, chains, findings and scores of a case after its events
 * changed. Called after every import (CLI, UI) and after identity-map or link edits. Every derived table is
 * rebuilt in full; readers on the case's connection wait until the whole run is over.
 */
export const analyzeCase = async (db: CaseDb, opts: AnalyzeOptions = {}): Promise<AnalysisReport> => {
  const started = performance.now()
  const cpu0 = process.cpuUsage()
  // What the run starts from: a case whose events outnumber it later (an import after it) is not fully analysed.
  const stored = (await analysisCoverage(db)).events
  const policies = await loadPolicies(db.path)
  const rules = opts.rules ?? (await loadCaseRules(db.path))
  const steps: Record<string, number> = {}
  const cpuSteps: Record<string, number> = {}
  const time = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t = performance.now()
    const c = process.cpuUsage()
    if (process.env.AFTERLOGIN_ANALYZE_TRACE) log.info(`analyze: ${name}…`)
    try {
      return await work()
    } finally {
      steps[name] = Math.round(performance.now() - t)
      const d = process.cpuUsage(c)
      cpuSteps[name] = Math.round((d.user + d.system) / 1000)
    }
  }
  const settings = await db.many<{ key: string; value: string }>('sessions.settings')
  const setting = (key: string) => Number(settings.find((s) => s.key === key)?.value ?? NaN)
  const gapMinutes = opts.gapMinutes ?? (Number.isFinite(setting('sessionGapMinutes')) ? setting('sessionGapMinutes') : 30)
  const windowMinutes = opts.ssoWindowMinutes ?? (Number.isFinite(setting('ssoWindowMinutes')) ? setting('ssoWindowMinutes') : 10)
  const gap = Math.max(1, gapMinutes) * 60
  const window = Math.max(1, windowMinutes) * 60

  // DuckDB plans joins over tables created earlier in the same transaction without their statistics, and some of
  // these joins then take minutes instead of a second. So each step commits on its own (no transaction), while
  // the run holds the case's connection: readers of this case wait and never see a half-built analysis.
  const counts = await db.exclusive(async (sql) => {
    // A second connection runs independent steps alongside: one statement alone keeps DuckDB's threads busy
    // only part of the time (scans, sorts and commits have serial stretches), and IP enrichment is Node work.
    const side = await db.connect()
    // The rules read only the events, and only the detectors read what they match: they run on a third
    // connection from the start, beside everything up to the links and chains.
    const ruleLane = await db.connect()
    type Counts = { events: number; sessions: number; chains: number; findings: number }
    const pipeline = async (): Promise<Counts | undefined> => {
      const matched = time('analyze.sigma', () => runSigma(ruleLane, rules, { internalDomains: policies.classification.internalDomains }))
      const counts = sessionsAndFindings(matched)
      await lanes(
        () => matched,
        () => counts
      )
      return counts
    }
    const sessionsAndFindings = async (matched: Promise<unknown>): Promise<Counts | undefined> => {
      await time('policies', () => loadPolicyTables(sql, policies))
      await lanes(
        async () => {
          await time('enrich.ip', () => enrichPending(side, policies))
          await time('analyze.type-reads', () => side.exec('analyze.type-reads'))
          await time('analyze.dictionaries', async () => {
            await side.exec('analyze.dictionaries-uas')
            await side.exec('analyze.dictionaries-targets')
          })
        },
        async () => {
          await time('analyze.actor-alias', async () => {
            await sql.exec('analyze.macro-actor-key')
            await sql.exec('analyze.actor-alias')
          })
          await time('analyze.idents', async () => {
            await sql.exec('analyze.idents')
            await sql.exec('analyze.idents-table')
          })
          await time('analyze.session-keys', () => sql.exec('analyze.session-keys'))
          await time('analyze.codes', async () => {
            await sql.exec('analyze.dictionaries-codes')
            await sql.exec('analyze.dictionaries-cats')
          })
        }
      )
      await time('analyze.signatures', () => sql.exec('analyze.signatures'))
      await time('analyze.ev', () => sql.exec('analyze.ev', { gap }))
      // Links and chains on one connection; on the other the detectors, which need sessions and identities but
      // no links. Each finding gets its chain once both are done (finishFindings).
      const sessionsBuilt = time('analyze.sessions', async () => {
        await sql.exec('analyze.session-ips')
        await sql.exec('analyze.sessions')
      })
      const identitiesBuilt = time('analyze.identities', () => side.exec('analyze.identities'))
      await lanes(
        async () => {
          await sessionsBuilt
          await time('analyze.sso', () => sql.exec('analyze.sso'))
          await time('analyze.links', () => sql.exec('analyze.links', { gap, window }))
          await time('analyze.chain-sessions', () => sql.exec('analyze.chain-sessions'))
          await identitiesBuilt
          await time('analyze.chains', () => sql.exec('analyze.chains'))
        },
        async () => {
          await identitiesBuilt
          await time('detect.prepare', () => prepareDetectors(side, policies.riskyActions))
          await sessionsBuilt
          await matched
          await runDetectors(side, policies.riskyActions, time, { reportEverywhere: opts.reportEverywhere === true })
        }
      )
      await finishFindings(sql, time)
      await score(sql, policies, time)
      await sql.exec('analyze.drop-scratch')
      await sql.exec('analyze.drop-session-ips')
      return sql.one<Counts>('analyze.counts')
    }
    try {
      await sql.memoryLimit(ANALYSIS_MEMORY)
      try {
        return await pipeline()
      } catch (err) {
        // Every step rebuilds its table, so a run cut off by the cap can start over with DuckDB's own limit.
        if (!/out of memory/i.test((err as Error).message)) throw err
        log.warn(`analyzeCase: the ${ANALYSIS_MEMORY} analysis memory cap was too small (${(err as Error).message.split('\n')[0]}); running again without it`)
        await sql.exec('analyze.memory-default')
        return await pipeline()
      }
    } finally {
      side.close()
      ruleLane.close()
      await sql.exec('analyze.memory-default')
    }
  })

  const ms = Math.round(performance.now() - started)
  const cpu = process.cpuUsage(cpu0)
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000)
  await db.exec('analyze.record-run', { ms, steps: JSON.stringify(steps), policies: JSON.stringify(policies.origin), stored })
  log.info(`analyzeCase: ${counts?.events ?? 0} events → ${counts?.chains ?? 0} chains, ${counts?.findings ?? 0} findings in ${ms} ms (cpu ${cpuMs} ms)`)
  return {
    ms,
    cpuMs,
    events: counts?.events ?? 0,
    sessions: counts?.sessions ?? 0,
    chains: counts?.chains ?? 0,
    findings: counts?.findings ?? 0,
    steps,
    cpuSteps
  }
}

/** Runs two independent sequences of steps at once; both finish before an error surfaces, so none writes on after the run. */
const lanes = async (...work: (() => Promise<unknown>)[]): Promise<void> => {
  const results = await Promise.allSettled(work.map((w) => w()))
  for (const r of results) if (r.status === 'rejected') throw r.reason
}

const loadPolicyTables = async (sql: Sql, p: Policies): Promise<void> => {
  await sql.exec('analyze.policy-reads', { reads: JSON.stringify(p.riskyActions.reads) })
  await sql.exec('analyze.policy-rented', { asns: JSON.stringify(rentedAsns(p.vpnAsns)) })
  await sql.exec('analyze.policy-app-names', { names: JSON.stringify(APP_NAME_PATTERNS.map((a, pri) => ({ pri, ...a }))) })
  await sql.exec('analyze.policy-identity', { patterns: JSON.stringify(classificationRows(p.classification)) })
}

const enrichPending = async (sql: Sql, p: Policies): Promise<void> => {
  const pending = await sql.many<PendingIp>('analyze.ip-pending')
  if (!pending.length) return
  const rows = await enrichIps(pending, p.classification.knownVpnAsOrgs, vpnAsnSet(p.vpnAsns))
  for (let i = 0; i < rows.length; i += BATCH) await sql.exec('analyze.ip-insert', { rows: JSON.stringify(rows.slice(i, i + BATCH)) })
}

const score = async (sql: Sql, p: Policies, time: Timer): Promise<void> => {
  // In DuckDB, not Node: fetching every chain's finding categories, scoring them and appending the results back
  // cost more than the scoring itself on big cases.
  await time('score.policy', () => sql.exec('analyze.chain-scores', scoreParams(p.response)))
  await time('score.chains', () => sql.exec('analyze.chains-final'))
}
