using IdentityBroker.Load;

var options = LoadOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

return await LoadRun.RunAsync(options);
