"""The commands (`check`, `converge`, `assets`, `explain`): each gathers facts with the domain
packages, runs its checks and hands the violations to the one findings pipeline
(`commands.pipeline`). This layer sits above every domain package: none of them imports
`seatrial.checks` or this package."""
