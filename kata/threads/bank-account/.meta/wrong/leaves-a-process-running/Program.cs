// Exercise 9: bank-account, wrong: starts a process and exits without waiting for it (an orphan).
// Run it by hand:  dotnet run -- unsafe 100 1   then   dotnet run -- safe 100 1
using System.Globalization;

if (
    args.Length != 3
    || args[0] is not ("safe" or "unsafe")
    || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var threads)
    || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var amount)
    || threads < 1
)
{
    Console.Error.WriteLine("usage: bank-account <safe|unsafe> <threads> <amount>");
    return 2;
}

// The mistake: a helper process started "in the background" and never waited for.
System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "20") { UseShellExecute = false });
var account = new Account();
var safe = args[0] == "safe";
var workers = new List<Thread>();
for (var i = 0; i < threads; i++)
{
    var worker = new Thread(() => DepositOnce(account, safe, amount));
    workers.Add(worker);
    worker.Start();
}
foreach (var worker in workers)
{
    worker.Join();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"balance {account.Balance}"));
return 0;

// A failed deposit changed nothing (the new balance was never written), so it is simply tried again.
static void DepositOnce(Account account, bool safe, int amount)
{
    while (true)
    {
        try
        {
            if (safe)
            {
                account.Deposit(amount);
            }
            else
            {
                account.DepositUnsafe(amount);
            }
            return;
        }
        catch (SimulatedFailureException failure)
        {
            Console.WriteLine($"deposit failed, trying again: {failure.Message}");
        }
    }
}

sealed class Account
{
    private readonly object _gate = new();

    public long Balance { get; private set; }

    public void DepositUnsafe(int amount)
    {
        var read = Balance;
        Kata.CriticalWork("deposit");
        Balance = read + amount;
    }

    public void Deposit(int amount)
    {
        lock (_gate)
        {
            var read = Balance;
            Kata.CriticalWork("deposit");
            Balance = read + amount;
        }
    }
}
