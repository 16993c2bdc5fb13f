// npm run test:stress: the whole test suite (type check, unit and browser tests) while a CPU
// burner of its own keeps every core busy, as on a shared, loaded machine. The burners are
// started here and always stopped here, whatever the outcome; the suite's exit code is ours.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const cores = availableParallelism();
const burners = Array.from({ length: cores }, () =>
  spawn(process.execPath, ['-e', 'for (;;) { Math.sqrt(Math.random()); }'], { stdio: 'ignore' }),
);
const stopBurners = () => {
  for (const b of burners) if (b.exitCode === null) b.kill('SIGKILL');
};
process.on('exit', stopBurners);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

console.log(`test:stress: ${burners.length} CPU burner(s) on ${cores} core(s); running npm test`);
const t0 = performance.now();
const suite = spawn('npm', ['test'], { stdio: 'inherit' });
suite.on('exit', (code, signal) => {
  stopBurners();
  const seconds = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(`test:stress: npm test ${code === 0 ? 'passed' : 'failed'} beside ${burners.length} burner(s) in ${seconds} s`);
  process.exit(code ?? (signal ? 1 : 0));
});
