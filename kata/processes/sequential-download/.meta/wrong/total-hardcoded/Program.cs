// Mistake: the total is never measured.
foreach (var name in args)
{
    Console.WriteLine($"start {name}");
    Kata.Download(name);
    Console.WriteLine($"finish {name}");
}
Console.WriteLine("total 0.00 s");
