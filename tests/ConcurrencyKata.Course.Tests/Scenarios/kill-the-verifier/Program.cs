// Starts a sleeping child and a grandchild in a session of its own with an empty environment, then
// kills its parent (the verifier) with SIGKILL and sleeps: nothing of it may outlive the verifier.
using System.Diagnostics;

Process.Start(new ProcessStartInfo("sleep", "3187") { UseShellExecute = false });
var hidden = new ProcessStartInfo("setsid", "-f sleep 3188") { UseShellExecute = false };
hidden.Environment.Clear();
Process.Start(hidden);
Thread.Sleep(500);
var parent = int.Parse(File.ReadAllText("/proc/self/stat").Split(") ")[1].Split(' ')[1]);
try
{
    Process.GetProcessById(parent).Kill();
}
catch (Exception e)
{
    Console.Error.WriteLine($"could not kill the verifier: {e.Message}");
}
Thread.Sleep(60_000);
