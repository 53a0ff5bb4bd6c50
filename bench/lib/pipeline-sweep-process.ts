// Child process that runs one pipeline sweep (pipeline-sweep.ts) and nothing else, so each run
// starts from a fresh heap and its peak RSS is its own (the emulator, the runner and the functions
// share the process: the runner plays EventBridge and the event source mapping in process).
import { serveRequests } from './child.ts';
import { runPipelineSweep } from './pipeline-sweep.ts';
import type { PipelineSweepScenario } from './pipeline-sweep.ts';

serveRequests({ run: (s) => runPipelineSweep(s as PipelineSweepScenario) });
