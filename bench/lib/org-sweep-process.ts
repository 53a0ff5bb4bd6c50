// Child process that runs one org sweep (org-sweep-run.ts) and nothing else, so the run starts from
// a fresh heap and its memory figures are its own (the emulator, the runner and the functions share it).
import { serveRequests } from './child.ts';
import { runOrgSweep } from './org-sweep-run.ts';
import type { OrgSweepScenario } from './org-sweep-run.ts';

serveRequests({ run: (s) => runOrgSweep(s as OrgSweepScenario) });
