// A fork storm: every worker starts two more workers before it does anything else, and the main
// program starts sleeps in a loop. The verifier must stop it at its process limit and kill all of it.
// A safety net, whatever contains it: at most 400 processes in all and at most 40 of them .NET workers
// (each start is counted as a file in a folder of the run: next to the program, or in the working folder
// when the program's own folder is read-only), and every one of them ends within two minutes.
using System.Diagnostics;

var counter = Counter(AppContext.BaseDirectory) ?? Counter(Environment.CurrentDirectory)!;

static string? Counter(string folder)
{
    var path = Path.Combine(folder, "storm-" + Environment.GetEnvironmentVariable("KATA_RUN_MARKER"));
    try
    {
        Directory.CreateDirectory(path);
        return path;
    }
    catch (UnauthorizedAccessException)
    {
        return null;
    }
}

bool MayStartAnother(int limit) =>
    Directory.GetFiles(counter).Length < limit && TryCreate(Path.Combine(counter, Guid.NewGuid().ToString("N")));

static bool TryCreate(string path)
{
    try
    {
        File.WriteAllText(path, "");
        return true;
    }
    catch (IOException)
    {
        return false;
    }
}

if (args is ["worker", ..])
{
    for (var i = 0; i < 2 && MayStartAnother(40); i++)
    {
        try
        {
            Process.Start(Kata.WorkerStartInfo("worker", "again"));
        }
        catch (System.ComponentModel.Win32Exception) { }
    }
    Thread.Sleep(TimeSpan.FromMinutes(2));
    return;
}

for (var i = 0; i < 2 && MayStartAnother(40); i++)
{
    Process.Start(Kata.WorkerStartInfo("worker", "first"));
}
while (MayStartAnother(400))
{
    try
    {
        Process.Start(new ProcessStartInfo("/bin/sleep", "120") { UseShellExecute = false });
    }
    catch (System.ComponentModel.Win32Exception)
    {
        Thread.Sleep(1);
    }
}
Thread.Sleep(TimeSpan.FromMinutes(2));
