// A crash: the first worker's file name is read from the wrong index, and the exception is never caught.
using System.Diagnostics;

var first = args[args.Length];
Process.Start(Kata.WorkerStartInfo("worker", first))!.WaitForExit();
