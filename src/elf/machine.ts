// The machines seabuild builds for, named as ELF's e_machine names them (gABI table "e_machine").

/** The two machines seabuild targets (ELF e_machine EM_X86_64 = 62, EM_AARCH64 = 183). */
export type Machine = 'x86_64' | 'aarch64';

/** The machine of the Node running seabuild (`process.arch` arm64 → aarch64, anything else → x86_64, the only other one seabuild runs on). */
export function hostMachine(): Machine {
  return process.arch === 'arm64' ? 'aarch64' : 'x86_64';
}
