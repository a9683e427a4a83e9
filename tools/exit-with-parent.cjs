// Preloaded with `node --require` into the child processes that dev tools start (Azurite, the
// local host under test): when the parent that started them is gone, even after a SIGKILL, the
// child stops itself with SIGTERM, so no process is left behind.
'use strict';
const parent = Number(process.env.EXIT_WITH_PARENT_PID);
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (error) {
      if (error.code === 'ESRCH') process.kill(process.pid, 'SIGTERM');
    }
  }, 500).unref();
}
