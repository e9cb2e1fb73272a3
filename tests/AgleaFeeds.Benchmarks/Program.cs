using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/AgleaFeeds.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
