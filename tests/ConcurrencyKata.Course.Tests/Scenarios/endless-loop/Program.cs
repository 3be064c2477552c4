// Never finishes: the verifier must stop it at the time limit and say so.
var spins = 0L;
while (true)
{
    spins++;
}
