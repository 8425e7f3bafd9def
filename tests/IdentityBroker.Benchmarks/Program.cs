using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/IdentityBroker.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(IdentityBroker.Benchmarks.OidcValidationBenchmarks).Assembly).Run(args);
