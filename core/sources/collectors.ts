import type { Rec } from './types'
import { at, decoded, isObject } from './values'

// Where SIEMs and log shippers keep the vendor's own record when they export what they collected: Splunk's
// `_raw` (its CSV export; `result._raw` in its JSON export), Elastic's `event.original` (also under `_source`
// in a search-hits export), Logstash's `message`, Docker and Fluent Bit's `log`, Amazon EventBridge's `detail`
// (an "AWS API Call via CloudTrail" event carries the CloudTrail record there, as rules and archives deliver it),
// and Splunk HTTP Event Collector's `event` (the payload a forwarder posts, kept as posted by pipelines that archive it).
// https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html
// https://docs.splunk.com/Documentation/Splunk/latest/Data/FormateventsforHTTPEventCollector
export const PLACES = ['_raw', 'result._raw', 'event.original', '_source.event.original', 'message', 'log', 'detail', 'event']

/** The vendor records a collector's copy holds, in the order above, one at a time: objects, or JSON objects held as text. */
export function* collectorInner(r: Rec): Generator<Rec> {
  for (const place of PLACES) {
    const v = at(r, place)
    if (isObject(v)) yield v
    else if (typeof v === 'string') {
      // Text that only looks like JSON stays as the collector wrote it (decoded hands it back).
      const parsed = decoded(v.trimStart())
      if (isObject(parsed)) yield parsed
    }
  }
}
