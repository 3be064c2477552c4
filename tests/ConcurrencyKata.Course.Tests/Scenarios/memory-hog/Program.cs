// Keeps allocating memory until something stops it (8 GiB at most).
var blocks = new List<byte[]>();
for (var i = 0; i < 512; i++)
{
    var block = new byte[16 << 20];
    Array.Fill(block, (byte)1);
    blocks.Add(block);
}
Console.WriteLine($"kept {blocks.Count * 16} MiB");
