using IdentityBroker.SrpProbe;

// One JSON request per line on stdin, one JSON answer per line on stdout; see ProbeSession for the operations.
var session = new ProbeSession(TimeProvider.System);
while (await Console.In.ReadLineAsync() is { } line)
{
    Console.Out.WriteLine(session.Handle(line));
    await Console.Out.FlushAsync();
}
