Console.WriteLine("ServiceReach.Bench.Routing");
