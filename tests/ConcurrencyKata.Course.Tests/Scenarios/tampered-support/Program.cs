// Relies on a support library the learner changed: Kata.MarkAllDownloaded exists only in the
// tampered copy (tampered-support/Kata.cs), which pretends every download is done at once.
// Verification restores the pristine library first, so this does not even build.
Kata.MarkAllDownloaded(args);
Console.WriteLine("total 0.00 s");
