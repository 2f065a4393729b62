import { taskAssign, taskAutoAssign, taskComplete, taskCreate, taskGenerateDaily, taskInspect, taskSetDoNotDisturb, taskSkip, taskStart } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { assignTask, completeTask, createTask, inspectTask, setDoNotDisturb, skipTask, startTask } from './task.service.ts';
import { autoAssignTasks, generateDailyTasks } from './task-generation.service.ts';

const byTask = byEntity('housekeeping_task', 'taskId');

export const taskHandlers = [
  defineHandler(taskCreate, { scope: byEntity('room', 'roomId'), handle: createTask }),
  defineHandler(taskAssign, { scope: byTask, handle: assignTask }),
  defineHandler(taskAutoAssign, { scope: byPropertyId, handle: autoAssignTasks }),
  defineHandler(taskStart, { scope: byTask, handle: startTask }),
  defineHandler(taskComplete, { scope: byTask, handle: completeTask }),
  defineHandler(taskSkip, { scope: byTask, handle: skipTask }),
  defineHandler(taskSetDoNotDisturb, { scope: byTask, handle: setDoNotDisturb }),
  defineHandler(taskInspect, { scope: byTask, handle: inspectTask }),
  defineHandler(taskGenerateDaily, { scope: byPropertyId, handle: generateDailyTasks }),
];
