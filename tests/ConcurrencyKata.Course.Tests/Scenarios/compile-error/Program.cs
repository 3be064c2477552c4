// Does not compile: a missing semicolon.
Console.WriteLine("hello")
