// Starts a child that sleeps, and a grandchild in a session of its own with an empty environment,
// then sleeps itself: what a signal to kata must end (the sleeps are told apart by their lengths).
using System.Diagnostics;

Process.Start(new ProcessStartInfo("sleep", "3187") { UseShellExecute = false });
var hidden = new ProcessStartInfo("setsid", "-f sleep 3188") { UseShellExecute = false };
hidden.Environment.Clear();
Process.Start(hidden);
Thread.Sleep(60_000);
