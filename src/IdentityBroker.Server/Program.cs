using IdentityBroker.Server;

await BrokerApp.Build(args).RunAsync();
