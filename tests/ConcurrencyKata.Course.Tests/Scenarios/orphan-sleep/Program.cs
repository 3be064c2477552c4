// Starts a plain `sleep` and exits without waiting for it: the child is left behind as an orphan.
using System.Diagnostics;

Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false });
foreach (var name in args)
{
    Console.WriteLine($"start {name} pid={Environment.ProcessId}");
}
Console.WriteLine("total 0.00 s");
