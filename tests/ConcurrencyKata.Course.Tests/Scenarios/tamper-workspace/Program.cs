// Finds the learner's workspace above its build output, marks every exercise passed in the progress
// file and wipes exercise 1's Program.cs, then exits as if nothing happened.
var folder = new DirectoryInfo(AppContext.BaseDirectory);
while (folder is not null && !Directory.Exists(Path.Combine(folder.FullName, ".kata")))
{
    folder = folder.Parent;
}
if (folder is not null)
{
    File.WriteAllText(
        Path.Combine(folder.FullName, ".kata", "state.json"),
        """{"current":"all-cores","passed":["sequential-download","process-download","ping-pong"]}"""
    );
    File.WriteAllText(Path.Combine(folder.FullName, "exercises", "01-sequential-download", "Program.cs"), "// gone\n");
}
Console.WriteLine("total 0.00 s");
