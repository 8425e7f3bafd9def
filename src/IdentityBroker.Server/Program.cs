using IdentityBroker.Server;
using IdentityBroker.Server.Admin;
using IdentityBroker.Server.Configuration;

if (args is [SimulateCommand.Name, ..])
{
    return await SimulateCommand.RunAsync(args[1..], Console.Out);
}

if (args is [var command, ..] && ConfigurationCommand.Names.Contains(command))
{
    return await ConfigurationCommand.RunAsync(command, args[1..], Console.Out);
}

await BrokerApp.Build(args).RunAsync();
return 0;
