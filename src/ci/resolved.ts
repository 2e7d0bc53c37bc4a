/**
 * CI facts after defaults and validation.
 */
export interface ResolvedCi {
  readonly defaultBranch: string;
}
