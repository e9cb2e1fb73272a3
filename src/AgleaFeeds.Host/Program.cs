using AgleaFeeds.Host;

return await AgleaFeedsApp.RunAsync(args).ConfigureAwait(false);
