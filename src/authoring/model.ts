// The authoring model: the validated spec/ files as typed values, each still able to say where it came from.
import type {
  ActionsFile,
  ContractFile,
  Entry as AuthoringEntryData,
  FieldFile,
  KindsFile,
  ProfileFile,
  SdkData,
  SdksFile,
  SourcesFile,
} from '../../generated/authoring-types.js';
import type { JsonPath, LocatedFile, Position } from './located.js';
import type { LoadedSpec } from './load.js';

export interface Located<T> {
  data: T;
  file: LocatedFile;
  path: JsonPath;
  /** Where this value (or one of its keys) is written. */
  at(key?: string): Position;
}

type KindData = KindsFile['kinds'][number];
export type { SdkData };
type FieldData = Omit<FieldFile, 'entries'>;
export type { AuthoringEntryData };

interface AuthoringField extends Located<FieldData> {
  entries: (Located<AuthoringEntryData> & { field: string })[];
}

export interface AuthoringSpec {
  contract: Located<ContractFile>;
  /** The SDKs every kind binds a class in (spec/sdks.yaml), in file order. */
  sdks: Located<SdkData>[];
  kinds: Located<KindData>[];
  /** spec/actions.yaml: the actions, the retry policy and the delay hints. */
  actions: Located<ActionsFile>;
  /** Every source by id: those of spec/sources.yaml, then those an SDK of spec/sdks.yaml defines (defines_sources). */
  sources: Located<SourcesFile['sources']>;
  fields: AuthoringField[];
  profiles: Located<ProfileFile>[];
  procedure: string;
}

function located<T>(data: T, file: LocatedFile, path: JsonPath): Located<T> {
  return { data, file, path, at: (key) => (key === undefined ? file.locate(path) : file.locate([...path, key], true)) };
}

/** Builds the model from a spec whose files all validated; call validateSpec first. */
export function buildModel(spec: LoadedSpec): AuthoringSpec {
  const one = (role: string) => spec.files.find((f) => f.role === role)!.located;
  const contractFile = one('contract');
  const kindsFile = one('kinds');
  const sdksFile = one('sdks');
  const actionsFile = one('actions');
  const sourcesFile = one('sources');
  return {
    contract: located(contractFile.data as ContractFile, contractFile, []),
    sdks: (sdksFile.data as SdksFile).sdks.map((s, i) => located(s, sdksFile, ['sdks', i])),
    kinds: (kindsFile.data as KindsFile).kinds.map((k, i) => located(k, kindsFile, ['kinds', i])),
    actions: located(actionsFile.data as ActionsFile, actionsFile, []),
    sources: located(
      Object.assign(
        {},
        (sourcesFile.data as SourcesFile).sources,
        ...(sdksFile.data as SdksFile).sdks.map((s) => s.defines_sources ?? {}),
      ) as SourcesFile['sources'],
      sourcesFile,
      ['sources'],
    ),
    fields: spec.files
      .filter((f) => f.role === 'field')
      .map(({ located: file }) => {
        const { entries, ...field } = file.data as FieldFile;
        return {
          ...located<FieldData>(field, file, []),
          entries: entries.map((e, i) => ({ ...located(e, file, ['entries', i]), field: field.field })),
        };
      }),
    profiles: spec.files
      .filter((f) => f.role === 'profile')
      .map(({ located: file }) => located(file.data as ProfileFile, file, [])),
    procedure: spec.procedure,
  };
}

/** Every entry of every field, in file order. */
export function allEntries(spec: AuthoringSpec): AuthoringField['entries'] {
  return spec.fields.flatMap((f) => f.entries);
}
