using IdentityBroker.Server;
using IdentityBroker.Server.Admin;

if (args is [SimulateCommand.Name, ..])
{
    return await SimulateCommand.RunAsync(args[1..], Console.Out);
}

await BrokerApp.Build(args).RunAsync();
return 0;
