/** The repository and pull request (or issue) a run is about. */
export interface IssueRef {
  owner: string;
  repo: string;
  issueNumber: number;
}
