// A child that hides: started through a shell that exits at once, in a session of its own (setsid),
// with an empty environment, so it carries no run marker either. The program then exits without
// waiting. The verifier must still report it as left behind, and kill it.
using System.Diagnostics;

var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true };
info.ArgumentList.Add("-c");
info.ArgumentList.Add("/usr/bin/setsid /bin/sleep 120 >/dev/null 2>&1 </dev/null & echo $!");
info.Environment.Clear();
using var shell = Process.Start(info)!;
var hidden = shell.StandardOutput.ReadLine();
shell.WaitForExit();
Console.WriteLine($"escaped {hidden}");
Console.WriteLine("total 0.00 s");
