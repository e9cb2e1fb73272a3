using AgleaFeeds.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/AgleaFeeds.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/AgleaFeeds.Benchmarks -- store [N]   (storing: the store against a bare insert)
if (args is ["store", ..])
{
    return await StoringBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
