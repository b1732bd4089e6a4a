Console.WriteLine("ServiceReach.Bench.Transit");
