// An output flood: lines as fast as the pipe takes them. It stops by itself after 4 GiB, so it can
// never fill a disk or run forever even if nothing stopped it.
var line = new string('x', 1023) + "\n";
var block = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(line, 64)));
using var stdout = Console.OpenStandardOutput();
for (long written = 0; written < 4L << 30; written += block.Length)
{
    stdout.Write(block);
}
