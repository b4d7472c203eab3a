/**
 * Registers every command. Command modules only declare options and help;
 * their actions import the model when they run.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import { register as registerInit } from './init.js';
import { register as registerAdd } from './record-add.js';
import { register as registerShow } from './show.js';
import { register as registerList } from './list.js';
import { register as registerSet } from './set.js';
import { register as registerEdit } from './edit.js';
import { register as registerDelete } from './delete.js';
import { register as registerSearch } from './search.js';
import { register as registerValidate } from './validate.js';
import { register as registerSync } from './sync.js';
import { register as registerDiff } from './diff.js';
import { register as registerCommits } from './commits.js';
import { register as registerUndo } from './undo.js';
import { register as registerMergeDriver } from './merge-driver.js';
import { register as registerCaseOpen } from './case-open.js';
import { register as registerCaseAssign } from './case-assign.js';
import { register as registerCaseRespond } from './case-respond.js';
import { register as registerCaseStatus } from './case-status.js';
import { register as registerCaseList } from './case-list.js';
import { register as registerLog } from './log.js';
import { register as registerTask } from './task.js';
import { register as registerAgenda } from './agenda.js';
import { register as registerHistory } from './history.js';
import { register as registerReport } from './report.js';
import { register as registerLeadStatus } from './lead-status.js';
import { register as registerLeadConvert } from './lead-convert.js';
import { register as registerOppStage } from './opp-stage.js';
import { register as registerAccountLifecycle } from './account-lifecycle.js';
import { register as registerTui } from './tui.js';

export type Nouns = Record<'account' | 'contact' | 'lead' | 'opportunity' | 'case' | 'campaign', Command>;

function nouns(program: Command): Nouns {
  return {
    account: program.command('account').description('accounts: companies, or persons in B2C'),
    contact: program.command('contact').description('contacts: people, usually at an account'),
    lead: program.command('lead').description('leads: prospects not yet qualified or converted'),
    opportunity: program.command('opportunity').alias('opp').description('opportunities (deals) in the pipeline'),
    case: program.command('case').description('cases: support tickets, complaints, requests'),
    campaign: program.command('campaign').description('marketing campaigns'),
  };
}

export function registerCommands(program: Command, io: Io): void {
  registerInit(program, io);
  const n = nouns(program);
  registerAdd(n, io);
  registerLeadStatus(n, io);
  registerLeadConvert(n, io);
  registerOppStage(n, io);
  registerAccountLifecycle(n, io);
  registerShow(program, io);
  registerList(program, io);
  registerSet(program, io);
  registerEdit(program, io);
  registerDelete(program, io);
  registerSearch(program, io);
  registerValidate(program, io);
  registerSync(program, io);
  registerDiff(program, io);
  registerCommits(program, io);
  registerUndo(program, io);
  registerMergeDriver(program, io);
  registerCaseOpen(n, io);
  registerCaseAssign(n, io);
  registerCaseRespond(n, io);
  registerCaseStatus(n, io);
  registerCaseList(n, io);
  registerLog(program, io);
  registerTask(program, io);
  registerAgenda(program, io);
  registerHistory(program, io);
  registerReport(program, io);
  registerTui(program, io);
}
