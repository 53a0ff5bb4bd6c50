const { startEmulator } = await import('/work/main/infra/local/emulator.ts');
const emu = await startEmulator({ port: 0 });
emu.transfer.createServerWithId('s-0123456789abcdef0', {});
const { spawnSync } = await import('node:child_process');
const script = `const m = await import('/tmp/bt/x/functions/handlers/drift-sweep.mjs'); const r = await m.handler({id:'e1'}, {functionName:'f', awsRequestId:'r', getRemainingTimeInMillis: () => 100000}); console.log('RESULT', JSON.stringify(r));`;
const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: emu.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' }, encoding: 'utf8' });
console.log(r.status, r.stdout, r.stderr);
await emu.stop();
