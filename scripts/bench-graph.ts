/**
 * `npm run bench:graph` — how the investigation view holds up on a big case. Prints figures, asserts nothing.
 *
 *  1. Generates the hijack bundle at --scale (100 ≈ a 50,000-event hijacked chain), imports it with the CLI,
 *     starts `afterlogin web --case` on it and drives Chromium (software rendering): opens the riskiest chain
 *     from the sessions list and reads the time the view itself reports from request to painted graph.
 *  2. Pans and zooms that view, then the "Expand all" view, counting requestAnimationFrame frames.
 *  3. Builds a harness page around the same graph component and measures a synthetic --nodes (2,000) view,
 *     since the core never sends more than its 1,500-node limit.
 *
 * Options: --scale N (100), --runs N (3), --nodes N (2000), --no-build.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { extname, join, normalize, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import react from '@vitejs/plugin-react'
import { chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import { generateHijackBundle } from '../core/demo/bundle-generator'
import { chromiumPath } from '../test/helpers/chromium'

const ROOT = resolve(import.meta.dirname, '..')
const CLI = join(ROOT, 'bin', 'afterlogin.js')

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    nodes: { type: 'string', default: '2000' },
    'no-build': { type: 'boolean', default: false }
  }
})
const scale = Number(values.scale)
const runs = Number(values.runs)
const syntheticNodes = Number(values.nodes)

const log = (line: string) => process.stderr.write(`${line}\n`)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

interface FrameStats {
  fps: number
  p95FrameMs: number
  frames: number
}

/** Scripted pans (drags) and zooms (wheel) over the graph while the page counts its animation frames. */
const measureFps = async (page: Page): Promise<FrameStats> => {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!
  const cx = pane.x + pane.width / 2
  const cy = pane.y + pane.height / 2
  // Page-side code goes as text: tsx would wrap functions with helpers that do not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = []
    window.__run = true
    const tick = (t) => {
      window.__frames.push(t)
      if (window.__run) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })()`)
  for (let i = 0; i < 4; i++) {
    const dx = i % 2 ? -320 : 320
    const dy = i < 2 ? 120 : -120
    await page.mouse.move(cx, cy)
    await page.mouse.down()
    await page.mouse.move(cx + dx, cy + dy, { steps: 30 })
    await page.mouse.up()
  }
  await page.mouse.move(cx, cy)
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -120)
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 120)
  const frames = await page.evaluate<number[]>(`(() => {
    window.__run = false
    return window.__frames
  })()`)
  const gaps = frames
    .slice(1)
    .map((t, i) => t - frames[i])
    .sort((a, b) => a - b)
  const span = frames[frames.length - 1] - frames[0]
  return {
    fps: Math.round(((frames.length - 1) / span) * 1000 * 10) / 10,
    p95FrameMs: Math.round(gaps[Math.floor(gaps.length * 0.95)] ?? 0),
    frames: frames.length
  }
}

const waitGraph = async (page: Page): Promise<number> => {
  await page
    .locator('[data-testid="graph"][data-ready="true"]')
    .waitFor({ timeout: 60_000 })
    .catch(async (err: unknown) => {
      const shot = join(tmpdir(), 'afterlogin-bench-graph-failure.png')
      await page.screenshot({ path: shot })
      throw new Error(`the graph never became ready (screenshot: ${shot}): ${err instanceof Error ? err.message : String(err)}`)
    })
  return Number(await page.getByTestId('graph').getAttribute('data-open-ms'))
}

const startWeb = (casePath: string, home: string) =>
  new Promise<{ url: string; stop: () => void }>((ok, fail) => {
    const proc = spawn(process.execPath, [CLI, 'web', '--case', casePath, '--port', '0'], {
      env: { ...process.env, AFTERLOGIN_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()))
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)$/m.exec(out)
      if (m) ok({ url: m[1], stop: () => proc.kill('SIGTERM') })
    })
    proc.once('exit', (code) => fail(new Error(`web mode exited with ${code}: ${err}`)))
  })

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

const serveDir = (dir: string) =>
  new Promise<{ server: Server; origin: string }>((ok) => {
    const server = createServer((req, res) => {
      const rel = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '')
      const file = resolve(dir, rel || 'graph-bench.html')
      if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
      createReadStream(file).pipe(res)
    })
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address()
      ok({ server, origin: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` })
    })
  })

const main = async (): Promise<void> => {
  if (!values['no-build']) {
    log('building…')
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' })
    if (b.status !== 0) throw new Error('npm run build failed')
  }
  const work = mkdtempSync(join(tmpdir(), 'afterlogin-bench-graph-'))
  try {
    log(`generating the hijack bundle at scale ${scale}…`)
    const bundle = await generateHijackBundle(join(work, 'bundle'), { seed: 1, scale })
    const casePath = join(work, 'case.duckdb')
    log('importing with the CLI…')
    const t0 = performance.now()
    const imp = spawnSync(process.execPath, [CLI, 'import', ...bundle.files, '--case', casePath], {
      env: { ...process.env, AFTERLOGIN_HOME: join(work, 'home') },
      encoding: 'utf8',
      maxBuffer: 64 << 20
    })
    if (imp.status !== 0) throw new Error(`import failed: ${imp.stderr}`)
    const importSeconds = (performance.now() - t0) / 1000

    const web = await startWeb(casePath, join(work, 'home'))
    const browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
      await page.goto(web.url)
      await page.locator('[data-testid="shell"][data-ready="true"]').waitFor()
      await page.getByTestId('nav-sessions').click()
      const first = page.getByTestId('chain-row').first()
      await first.waitFor({ timeout: 60_000 })
      const identity = await first.getAttribute('data-identity')
      const events = Number((/^([\d,]+) ev/.exec((await first.locator('.cr-side span').nth(1).textContent()) ?? '')?.[1] ?? '0').replace(/,/g, ''))

      // Open the riskiest chain several times (another chain in between so each open is a fresh one).
      const opens: number[] = []
      for (let i = 0; i < runs; i++) {
        await page.getByTestId('nav-sessions').click()
        const list = page.getByTestId('chain-list')
        await list.focus()
        await list.press(i === 0 ? 'Home' : 'End')
        if (i > 0) {
          await list.press('Enter')
          await waitGraph(page)
          await page.getByTestId('nav-sessions').click()
          await list.focus()
          await list.press('Home')
        }
        await list.press('Enter')
        opens.push(await waitGraph(page))
        log(`open ${i + 1}: ${opens[i]} ms`)
      }
      const aggregateNodes = Number(await page.getByTestId('graph').getAttribute('data-nodes'))
      const aggregateFps = await measureFps(page)

      await page.getByTestId('expand-all').click()
      await page
        .locator('[data-testid="graph"][data-ready="false"]')
        .waitFor()
        .catch(() => undefined)
      await waitGraph(page)
      const expandedNodes = Number(await page.getByTestId('graph').getAttribute('data-nodes'))
      const expandedFps = await measureFps(page)

      log(`building the graph harness for ${syntheticNodes} nodes…`)
      const harnessDir = join(work, 'harness')
      await build({
        configFile: false,
        logLevel: 'warn',
        root: join(ROOT, 'renderer', 'bench'),
        base: './',
        plugins: [react()],
        build: { outDir: harnessDir, emptyOutDir: true, rollupOptions: { input: join(ROOT, 'renderer', 'bench', 'graph-bench.html') } }
      })
      const { server, origin } = await serveDir(harnessDir)
      const harness = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
      harness.on('pageerror', (e) => errors.push(e.message))
      await harness.goto(`${origin}/graph-bench.html?nodes=${syntheticNodes}`)
      const harnessOpen = await waitGraph(harness)
      // The view opens at a readable zoom from the chain's start; Fit View puts all of it on screen, the heavy case.
      await harness.locator('.react-flow__controls-fitview').click()
      await harness.waitForTimeout(300)
      const drawn = await harness.locator('.react-flow__node').count()
      const syntheticFps = await measureFps(harness)
      server.close()

      const figures = {
        scale,
        importSeconds: Math.round(importSeconds * 10) / 10,
        topChain: { identity, events },
        openMs: { median: median(opens), runs: opens },
        aggregateView: { nodes: aggregateNodes, ...aggregateFps },
        expandedView: { nodes: expandedNodes, ...expandedFps },
        syntheticView: { nodes: syntheticNodes, openMs: harnessOpen, domNodesAfterFit: drawn, ...syntheticFps },
        pageErrors: errors,
        loadAverage: loadavg()
      }
      const lines = [
        `bench:graph (scale ${scale}, headless Chromium, --disable-gpu)`,
        `  import (CLI, generate excluded)          ${figures.importSeconds} s`,
        `  riskiest chain                          ${identity}, ${events.toLocaleString('en-US')} events`,
        `  open chain → graph painted              median ${figures.openMs.median} ms  (runs ${opens.join(', ')} ms)`,
        `  aggregated view, ${String(aggregateNodes).padEnd(5)} nodes          ${aggregateFps.fps} fps, p95 frame ${aggregateFps.p95FrameMs} ms`,
        `  expand all,      ${String(expandedNodes).padEnd(5)} nodes          ${expandedFps.fps} fps, p95 frame ${expandedFps.p95FrameMs} ms`,
        `  synthetic view,  ${String(syntheticNodes).padEnd(5)} nodes          ${syntheticFps.fps} fps, p95 frame ${syntheticFps.p95FrameMs} ms (laid out and painted in ${harnessOpen} ms)`,
        `  page errors                             ${errors.length}`,
        `  load average during the run             ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} (2 cores: figures drop when other work shares them)`
      ]
      process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(figures)}\n`)
    } finally {
      await browser.close()
      web.stop()
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:graph: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
