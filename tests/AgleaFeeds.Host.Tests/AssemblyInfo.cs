// Host tests start Kestrel servers and Hangfire servers: run them one at a time on the 2-core machine,
// and keep Hangfire's process-wide JobStorage.Current owned by one host at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
