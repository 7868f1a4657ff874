/** The version root (`GET /services/data/vXX.X/`) and `/limits`. */
import type { RestRoute } from '../rest-route.js';

export const resourceRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/',
    handler: (call, deps) => {
      const base = `/services/data/v${call.version}`;
      const origin = call.origin;
      return {
        status: 200,
        body: {
          tooling: `${base}/tooling`,
          metadata: `${base}/metadata`,
          eclair: `${base}/eclair`,
          folders: `${base}/folders`,
          prechatForms: `${base}/prechatForms`,
          'contact-tracing': `${base}/contact-tracing`,
          jsonxform: `${base}/jsonxform`,
          chatter: `${base}/chatter`,
          tabs: `${base}/tabs`,
          appMenu: `${base}/appMenu`,
          quickActions: `${base}/quickActions`,
          queryAll: `${base}/queryAll`,
          commerce: `${base}/commerce`,
          wave: `${base}/wave`,
          iot: `${base}/iot`,
          analytics: `${base}/analytics`,
          search: `${base}/search`,
          identity: `${origin}/id/${deps.store.orgId}/${call.session.userId}`,
          composite: `${base}/composite`,
          parameterizedSearch: `${base}/parameterizedSearch`,
          fingerprint: `${base}/fingerprint`,
          theme: `${base}/theme`,
          nouns: `${base}/nouns`,
          event: `${base}/event`,
          serviceTemplates: `${base}/serviceTemplates`,
          recent: `${base}/recent`,
          connect: `${base}/connect`,
          licensing: `${base}/licensing`,
          limits: `${base}/limits`,
          process: `${base}/process`,
          'async-queries': `${base}/async-queries`,
          query: `${base}/query`,
          match: `${base}/match`,
          emailConnect: `${base}/emailConnect`,
          compactLayouts: `${base}/compactLayouts`,
          knowledgeManagement: `${base}/knowledgeManagement`,
          sobjects: `${base}/sobjects`,
          actions: `${base}/actions`,
          support: `${base}/support`,
          jobs: `${base}/jobs`,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/limits',
    handler: (_call, deps) => {
      const max = deps.usage.limit;
      const fixed = (n: number): { Max: number; Remaining: number } => ({ Max: n, Remaining: n });
      return {
        status: 200,
        body: {
          ActiveScratchOrgs: fixed(3),
          ConcurrentAsyncGetReportInstances: fixed(200),
          ConcurrentSyncReportRuns: fixed(20),
          DailyApiRequests: { Max: max, Remaining: deps.usage.remaining() },
          DailyAsyncApexExecutions: fixed(250000),
          DailyBulkApiBatches: fixed(15000),
          DailyBulkV2QueryFileStorageMB: fixed(976562),
          DailyBulkV2QueryJobs: fixed(10000),
          DailyDurableGenericStreamingApiEvents: fixed(10000),
          DailyDurableStreamingApiEvents: fixed(10000),
          DailyGenericStreamingApiEvents: fixed(10000),
          DailyStandardVolumePlatformEvents: fixed(10000),
          DailyStreamingApiEvents: fixed(10000),
          DataStorageMB: fixed(1024),
          FileStorageMB: fixed(2048),
          HourlyPublishedPlatformEvents: fixed(50000),
          MonthlyPlatformEventsUsageEntitlement: fixed(1500000),
          SingleEmail: fixed(5000),
          StreamingApiConcurrentClients: fixed(1000),
        },
      };
    },
  },
];
