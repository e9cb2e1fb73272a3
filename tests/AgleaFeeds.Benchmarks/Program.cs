using AgleaFeeds.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/AgleaFeeds.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/AgleaFeeds.Benchmarks -- store [N]   (storing: the store against a bare insert)
// dotnet run -c Release --project tests/AgleaFeeds.Benchmarks -- poll DATA_FOLDER [ROUNDS=5]   (polls of a store inside one process)
if (args is ["store", ..])
{
    return await StoringBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000);
}

if (args is ["poll", var data, ..])
{
    return await ServicePollBenchmark.RunAsync(data, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
