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
import { register as registerReport } from './report.js';

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
  registerShow(program, io);
  registerList(program, io);
  registerSet(program, io);
  registerEdit(program, io);
  registerDelete(program, io);
  registerSearch(program, io);
  registerValidate(program, io);
  registerReport(program, io);
}
