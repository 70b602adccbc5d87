// The tables of the profile a command's --profile names; an unknown name is a usage error (exit 2).
import { tablesFor } from '../classify/classify.js';
import { UnknownProfileError, type Tables } from '../classify/tables.js';
import { UsageError } from './command.js';

export function tablesForOption(profile: string | undefined): Tables {
  try {
    return tablesFor({ profile });
  } catch (error) {
    if (error instanceof UnknownProfileError) throw new UsageError(error.message);
    throw error;
  }
}
