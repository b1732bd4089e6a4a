using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace ServiceReach.Exchange.GeoJson;

/// <summary>Ring orientation for writing RFC 7946 polygons (exterior rings counter-clockwise, holes clockwise).</summary>
public static class RingOrientation
{
    /// <summary>
    /// <see cref="Orientation.IsCCW(CoordinateSequence)"/> of NetTopologySuite 2.6, step for step, but reading ordinates with
    /// GetX/GetY: NTS's version allocates 16 bytes per vertex on packed sequences (which the router builds), ~100 kB per
    /// response. Finds the highest vertex reached by a rising segment; the orientation of the cap there (or the direction of a
    /// flat top) gives the ring's orientation.
    /// </summary>
    public static bool IsCounterClockwise(CoordinateSequence ring)
    {
        var nPts = ring.Count - 1;
        if (nPts < 3) return false;
        double hiX = ring.GetX(0), hiY = ring.GetY(0), lowX = 0, lowY = 0;
        var prevY = hiY;
        var iUpHi = 0;
        for (var i = 1; i <= nPts; i++)
        {
            var py = ring.GetY(i);
            if (py > prevY && py >= hiY)
            {
                (hiX, hiY, iUpHi) = (ring.GetX(i), py, i);
                (lowX, lowY) = (ring.GetX(i - 1), ring.GetY(i - 1));
            }
            prevY = py;
        }
        if (iUpHi == 0) return false; // flat ring
        var iDownLow = iUpHi;
        do
        {
            iDownLow = (iDownLow + 1) % nPts;
        }
        while (iDownLow != iUpHi && ring.GetY(iDownLow) == hiY);
        double downLowX = ring.GetX(iDownLow), downLowY = ring.GetY(iDownLow);
        var iDownHi = iDownLow > 0 ? iDownLow - 1 : nPts - 1;
        double downHiX = ring.GetX(iDownHi), downHiY = ring.GetY(iDownHi);
        if (hiX == downHiX && hiY == downHiY)
        {
            // A pointed cap; A-B-A caps (collapsed segments) count as not counter-clockwise, as in NTS.
            if ((lowX == hiX && lowY == hiY) || (downLowX == hiX && downLowY == hiY) || (lowX == downLowX && lowY == downLowY)) return false;
            return Orientation.Index(new Coordinate(lowX, lowY), new Coordinate(hiX, hiY), new Coordinate(downLowX, downLowY)) == OrientationIndex.CounterClockwise;
        }
        return downHiX - hiX < 0; // a flat top: its direction
    }
}
